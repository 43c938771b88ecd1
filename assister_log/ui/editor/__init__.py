"""The incident editor: sections that each load and apply their part of a draft, the live
timeline, the compliance panel, and the page that autosaves them."""
