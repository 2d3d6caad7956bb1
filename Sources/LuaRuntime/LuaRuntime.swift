// The Lua embedding: states, values, calls, the sandbox and its limits. Knows nothing of schools.
