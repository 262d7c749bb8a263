// hw/io.h port accessors for host builds with nothing on the I/O bus:
// reads float high, writes go nowhere. Weak, so that a fake device (such
// as test/fuzz's fw_cfg) replaces just the ports it decodes.
#include "hw/io.h"

__attribute__((weak)) u8 inb(u16 port)
{
	(void)port;
	return 0xFF;
}

__attribute__((weak)) u16 inw(u16 port)
{
	(void)port;
	return 0xFFFF;
}

__attribute__((weak)) u32 inl(u16 port)
{
	(void)port;
	return 0xFFFFFFFF;
}

__attribute__((weak)) void outb(u8 v, u16 port)
{
	(void)v, (void)port;
}

__attribute__((weak)) void outw(u16 v, u16 port)
{
	(void)v, (void)port;
}

__attribute__((weak)) void outl(u32 v, u16 port)
{
	(void)v, (void)port;
}
