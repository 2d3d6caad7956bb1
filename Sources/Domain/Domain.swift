// The school directory and the operations on it.
