// Shared declarations of the VGA ROM.
#ifndef MBIOS_VGA_VGA_H
#define MBIOS_VGA_VGA_H

#include "std/types.h"
#include "vregs.h"

// VGA ports (IBM VGA technical reference, "Registers").
#define VGA_AC 0x3C0
#define VGA_AC_READ 0x3C1
#define VGA_MISC_W 0x3C2
#define VGA_SEQ 0x3C4
#define VGA_PEL_MASK 0x3C6
#define VGA_DAC_RD 0x3C7
#define VGA_DAC_WR 0x3C8
#define VGA_DAC_DATA 0x3C9
#define VGA_MISC_R 0x3CC
#define VGA_GC 0x3CE

enum vga_kind { VK_TEXT, VK_PLANAR, VK_LINEAR8 };

struct vga_mode {
	u8 mode;
	u8 kind;
	u8 cheight;	   // glyph height
	u8 regs;	   // index into the register tables
	u16 width, height; // characters in text modes, pixels otherwise
	u16 seg;
	u16 pagesize;
};

// BDA fields beyond std/bda.h (IBM PC technical reference, BIOS data area).
#define BDA_PAGE_SIZE 0x4C
#define BDA_PAGE_START 0x4E
#define BDA_CURSOR_TYPE 0x60
#define BDA_MODE_CTRL 0x65
#define BDA_CGA_PALETTE 0x66
#define BDA_CHAR_HEIGHT 0x85
#define BDA_VIDEO_CTL 0x87
#define BDA_VIDEO_SWITCHES 0x88
#define BDA_VGA_FLAGS 0x89
#define BDA_DCC_INDEX 0x8A
#define BDA_SAVE_PTR 0xA8
// Where this ROM keeps its VBE state (as other VGA BIOSes do): the current
// VBE mode (0 = a VGA mode) and flags, in the BDA's reserved 0xB9-0xBB.
#define BDA_VBE_FLAGS 0xB9
#define BDA_VBE_MODE 0xBA

// vgamodes.c
const struct vga_mode *vga_find_mode(u8 mode);
const struct vga_mode *vga_cur_mode(void);
bool vga_set_mode(u8 mode, bool noclear);
void vga_load_font(u16 seg, u16 off, u8 cheight, u16 first, u16 count,
		   u8 block);
void vga_load_palette(u8 regs);
u8 crtc_read(u8 idx);
void crtc_write(u8 idx, u8 v);
u16 crtc_port(void);
void ac_write(u8 idx, u8 v);
u8 ac_read(u8 idx);

// vgatext.c
void vga_set_cursor_shape(u16 cx);
void vga_set_cursor_pos(u8 page, u16 pos);
void vga_set_page(u8 page);
void vga_write_char(u8 page, u8 ch, u8 attr, u16 count, bool use_attr);
u16 vga_read_char(u8 page);
void vga_teletype(u8 page, u8 ch, u8 attr, bool use_attr);
void vga_scroll(int lines, u8 attr, u8 top, u8 left, u8 bottom, u8 right);
void vga_put_pixel(u16 x, u16 y, u8 color);
u8 vga_get_pixel(u16 x, u16 y);
const u8 *vga_font(u8 cheight);

// vgastate.c
void vga_state(struct vregs *r);
void vga_dac_save(u16 seg, u16 off);
void vga_dac_restore(u16 seg, u16 off);

// font.c (generated fonts, code page 437)
extern const u8 font8x16[4096], font8x14[3584], font8x8[2048];

// int10.c
void int10_handler(struct vregs *r);
void vga_palette(struct vregs *r);

// vbe.c
bool vbe_present(void);
bool vga_hw_present(void);
void vbe_init(u16 bdf);
void vbe_disable(void);
void vbe_handler(struct vregs *r);
void vbe_window_handler(struct vregs *r);

// romentry.S
u32 flat_read32(u32 addr);
void flat_write16(u32 addr, u16 v);

// vgainit.c
void vga_init(struct vregs *r);

#endif
