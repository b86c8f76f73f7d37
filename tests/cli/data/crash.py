raise ValueError("runtime failure in python")
