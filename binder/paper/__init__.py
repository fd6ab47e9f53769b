"""Paper: PDF and CSV out of the program (the binder, handover, ICS 214 and 205A, contacts in
and out). It may read binder.content, binder.search and binder.journal; never binder.ui. Qt's
printing (QtGui's QPdfWriter, QTextDocument) yes, Qt widgets no."""
