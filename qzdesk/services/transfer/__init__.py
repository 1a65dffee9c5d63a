"""组织关系转接 offline: a member leaves with a signed package (介绍信, 成长档案, history,
dues paid to, papers and scans) and arrives with their whole record; a signed 回执
closes the transfer at the sender. Mirrors, never replaces, the steps in 智慧团建."""
