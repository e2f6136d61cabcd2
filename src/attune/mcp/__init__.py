"""The MCP server over the pattern library and memory, and its installation (issue 13)."""
