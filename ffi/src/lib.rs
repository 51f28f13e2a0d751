//! C ABI for the Lucairn engine. The exported functions arrive with the C library issue.
