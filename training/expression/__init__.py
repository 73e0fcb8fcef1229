"""Train, export and evaluate the project's own expression classifier (VGG48).

Offline only: needs PyTorch (requirements/train.txt) and the FER2013 arrays,
which never go into the repository. `python -m training.expression --help`.
"""
