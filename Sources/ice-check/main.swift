print("ice-check: under construction")
