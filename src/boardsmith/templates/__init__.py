"""Board templates: the YAML language, loading, layout and the compiler to a Plan."""
