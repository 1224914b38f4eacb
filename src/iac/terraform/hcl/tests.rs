//! `.tf` modules read directly.
