"""The Qt layer: windows, pages, dialogs. It asks services; it never opens a Session."""
