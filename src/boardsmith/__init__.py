"""boardsmith: visioning-workshop boards on Miro, from templates and back into data."""

__version__ = "0.1.0"

__all__ = ["__version__"]
