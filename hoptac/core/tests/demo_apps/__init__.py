"""Two tiny apps used only by test_demo.py to watch the order in which demo loaders run."""
