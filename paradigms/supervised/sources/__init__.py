"""Where each kind of data enters a supervised run, one module per source.

- :mod:`.mnist`: MNIST and the other MNIST-format sets (read in core,
  :mod:`paradigms.datasets`, since all three paradigms read them): their
  validation slice, drawn from the official training images with the seed;
- :mod:`.folders`: a folder of labelled images, one sub-folder per class, whose
  files are read safely by :mod:`.images` and, for a model trained on MNIST,
  framed like its digits by :mod:`.framing`;
- :mod:`.tables`: a labelled table (read and encoded in core,
  :mod:`paradigms.datasets.tables` and :mod:`paradigms.datasets.table_features`)
  and its run: classification or regression of its ``--target`` column.

What every source shares sits one floor up, in the package: the validation slice's
caps (:mod:`paradigms.supervised.validation`), the model, the learning loop and the
scoring. Importing this package imports none of its modules.
"""
