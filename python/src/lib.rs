//! Python bindings for the Lucairn engine. The module arrives with the Python package issue.
