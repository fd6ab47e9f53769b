"""One incident across a command post's laptops: what is exchanged and what people see of it."""
