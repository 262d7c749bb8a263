#ifndef MBIOS_FW_MTRR_H
#define MBIOS_FW_MTRR_H

void mtrr_setup(void);

#endif
