// The ROM's initialisation entry (PCI Firmware spec 3.0, 5.2.1): called
// by the system BIOS at offset 3 with AX = bus/device/function, while the
// ROM's shadow RAM is still writable.
#include "std/bda.h"
#include "vga.h"
#include "vgaio.h"

extern char int10_entry[];

void vga_init(struct vregs *r)
{
	vbe_init(r->ax);
	far_set16(0, 0x10 * 4, ROM_OFF(int10_entry));
	far_set16(0, 0x10 * 4 + 2, rom_seg());
	bda_set8(BDA_VBE_FLAGS, 0);
	bda_set16(BDA_VBE_MODE, 0);
	vga_set_mode(0x03, false);
}
