"""团费: what each member owes per month by the rule profile (`amounts`), and the book of
payments, exemptions and corrections with arrears and the period's figures (`book`)."""
