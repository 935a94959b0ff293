/* termwidth.h - how many columns a terminal shows. */
#ifndef OVERDUE_TERMWIDTH_H
#define OVERDUE_TERMWIDTH_H

#include <stdio.h>

/*
 * The width of the terminal fp writes to (TIOCGWINSZ on its descriptor);
 * when fp is no terminal (or says 0), the COLUMNS environment variable
 * when it is a positive number; else 80.
 */
int term_width(FILE *fp);

#endif
