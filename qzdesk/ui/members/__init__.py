"""The roster's screens: the page, its table model, the member form, the import."""
