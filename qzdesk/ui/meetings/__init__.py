"""The 组织生活 screens: minutes, the yearly plan, compliance."""
