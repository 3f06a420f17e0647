"""prdlib: the mathematics of the course "Turing patterns from adversarial interaction".

Modules, one concept each:

- :mod:`prdlib.errors`: input checks shared by every module.
- :mod:`prdlib.models`: classic reaction models, their steady states and Jacobians.
- :mod:`prdlib.turing`: linear stability, Turing conditions, dispersion relations.
- :mod:`prdlib.simulate`: reaction-diffusion solvers on periodic grids (torch).
- :mod:`prdlib.patterns`: power spectra, dominant wavenumbers, amplitudes.
- :mod:`prdlib.networks`: two-layer ReLU networks, the Gram matrix ``H_inf``, trainers.
- :mod:`prdlib.prd`: the pseudo-reaction-diffusion neural sheet and its per-site game.
- :mod:`prdlib.plotting`, :mod:`prdlib.widgets`, :mod:`prdlib.cli`: figures, notebook explorers
  and the command line. They import the modules above, never the other way round.
"""

__version__ = "0.1.0"
