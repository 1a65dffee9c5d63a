"""推优入党: who may be recommended to the Party and why others may not, the recorded
steps with their gates (proposal, agreement, the 团员大会's vote, review, 公示, approval),
the 推荐表, and the Party's answer, which sets the member's 政治面貌."""
