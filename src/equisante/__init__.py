"""equisante — observer, planifier, financer et évaluer la réduction des inégalités sociales et
territoriales de santé.

The core library (``stats``, ``indices``, ``grid``, ``portfolio``…) is pure Python and never imports
Django; the Django apps, the command line and the API are thin layers over it.
"""

__version__ = "0.1.0"
