// BIOS data area (segment 0x40) fields, by offset from 0x400.
#ifndef MBIOS_STD_BDA_H
#define MBIOS_STD_BDA_H

#include "std/types.h"

#define BDA_BASE 0x400
#define BDA_COM_PORTS 0x00 // u16[4]
#define BDA_EBDA_SEG 0x0E
#define BDA_EQUIPMENT 0x10
#define BDA_MEM_KB 0x13
#define BDA_KBD_FLAGS 0x17
#define BDA_KBD_HEAD 0x1A
#define BDA_KBD_TAIL 0x1C
#define BDA_KBD_BUF 0x1E // 16 words
#define BDA_VIDEO_MODE 0x49
#define BDA_VIDEO_COLS 0x4A
#define BDA_CURSOR_POS 0x50 // u16[8], row << 8 | col
#define BDA_VIDEO_PAGE 0x62
#define BDA_CRTC_BASE 0x63
#define BDA_TICKS 0x6C
#define BDA_MIDNIGHT 0x70
#define BDA_RESET_FLAG 0x72
#define BDA_DISK_COUNT 0x75
#define BDA_KBD_BUF_START 0x80
#define BDA_KBD_BUF_END 0x82
#define BDA_VIDEO_ROWS 0x84

#endif
