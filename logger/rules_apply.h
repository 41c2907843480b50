/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The daemon's rule set in the programs' maps: rules_changed() (logger/ruleset.h) is
 * defined here and compiles each new set into the capture's maps.
 */
#ifndef LAUDITD_LOGGER_RULES_APPLY_H
#define LAUDITD_LOGGER_RULES_APPLY_H

struct capture;

/*
 * rules_apply_to() - from now on the daemon's rule set goes to @c (NULL: nowhere);
 * the set of the moment is applied at once.  Main thread, before capture_attach().
 *
 * Return: 0, or a negative errno if the set could not be written into the maps.
 */
int rules_apply_to(struct capture *c);

#endif /* LAUDITD_LOGGER_RULES_APPLY_H */
