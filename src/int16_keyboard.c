// INT 16h keyboard services over the BDA ring buffer, filled by polling the
// PS/2 keyboard and the serial console (see console.c).
#include "bregs.h"
#include "console.h"
#include "hw/clock.h"
#include "hw/ps2kbd.h"
#include "output.h"
#include "lib/bda.h"

void handle_16(struct bregs *r);

static bool buffer_put(u16 key)
{
	u16 head = bda_u16(BDA_KBD_HEAD), tail = bda_u16(BDA_KBD_TAIL);
	u16 start = bda_u16(BDA_KBD_BUF_START), end = bda_u16(BDA_KBD_BUF_END);
	u16 next = tail + 2 >= end ? start : tail + 2;
	if (next == head)
		return false;
	bda_u16(tail) = key;
	bda_u16(BDA_KBD_TAIL) = next;
	return true;
}

static void fill_buffer(void)
{
	int key;
	while ((key = console_getkey()) >= 0)
		if (!buffer_put((u16)key))
			break;
}

static int buffer_peek(bool remove)
{
	fill_buffer();
	u16 head = bda_u16(BDA_KBD_HEAD);
	if (head == bda_u16(BDA_KBD_TAIL))
		return -1;
	u16 key = bda_u16(head);
	if (remove) {
		head += 2;
		if (head >= bda_u16(BDA_KBD_BUF_END))
			head = bda_u16(BDA_KBD_BUF_START);
		bda_u16(BDA_KBD_HEAD) = head;
	}
	return key;
}

void keyboard_buffer_init(void)
{
	bda_u16(BDA_KBD_BUF_START) = BDA_KBD_BUF;
	bda_u16(BDA_KBD_BUF_END) = BDA_KBD_BUF + 32;
	bda_u16(BDA_KBD_HEAD) = BDA_KBD_BUF;
	bda_u16(BDA_KBD_TAIL) = BDA_KBD_BUF;
}

// Wait for a key for at most timeout_ms (0 = forever); -1 on timeout.
int keyboard_wait(u32 timeout_ms)
{
	u64 deadline = clock_deadline(timeout_ms * 1000);
	for (;;) {
		int key = buffer_peek(true);
		if (key >= 0)
			return key;
		if (timeout_ms && clock_expired(deadline))
			return -1;
	}
}

void handle_16(struct bregs *r)
{
	int key;
	switch (r->ah) {
	case 0x00:
	case 0x10:
		// Blocking read: wait here with interrupts off; the caller
		// asked to block, and the timer catches up on return.
		r->ax = (u16)keyboard_wait(0);
		break;
	case 0x01:
	case 0x11:
		key = buffer_peek(false);
		if (key < 0) {
			r->flags |= F_ZF;
		} else {
			r->flags &= ~F_ZF;
			r->ax = (u16)key;
		}
		break;
	case 0x02:
	case 0x12:
		r->al = ps2kbd_shift_flags();
		if (r->ah == 0x12)
			r->ah = 0;
		break;
	case 0x03: // typematic rate: accepted, nothing to do on QEMU
		break;
	case 0x05:
		r->al = buffer_put(r->cx) ? 0 : 1;
		break;
	default:
		dprint(DL_DETAIL, "int16: unsupported AH=%02x\n", r->ah);
	}
}
