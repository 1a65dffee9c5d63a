"""qzdesk: offline records for Communist Youth League branch secretaries."""

import warnings

__version__ = "0.1.0"

# pyHanko imports cryptography's DSA types at load (cryptography 51 deprecates DSA);
# qzdesk signs and accepts ECDSA/RSA only, so the notice would only clutter stderr.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")
