"""The benchmark of the cited-map build: ``python -m bench --help`` lists the options.

Not part of the installed wheel: it runs from the project folder, against its seeds/ and
layers/, and writes into bench-out/ (ignored by git) unless told otherwise.
"""
