// S3 resume: the path a wake from suspend-to-RAM takes instead of POST.
#ifndef MBIOS_RESUME_H
#define MBIOS_RESUME_H

#include "std/types.h"

// CMOS says this reset is an S3 wake (and that is then cleared).
bool s3_resume_requested(void);
// Wake the OS through its waking vector; returns only when there is none,
// after saying so, and POST then boots normally.
void s3_resume(void);

#endif
