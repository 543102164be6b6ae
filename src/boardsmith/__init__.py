"""boardsmith: visioning-workshop boards on Miro, from templates and back into data."""

__version__ = "0.2.0"

__all__ = ["__version__"]
