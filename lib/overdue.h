/* overdue.h - everything in lib/, for programs that want it all. */
#ifndef OVERDUE_H
#define OVERDUE_H

#include "buf.h"
#include "date.h"
#include "money.h"
#include "gen/prng.h"
#include "tsv.h"
#include "util.h"

#endif
