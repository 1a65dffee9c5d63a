"""The 设置 page and its tabs."""
