#!/bin/busybox sh
# /init of the mbios integration-test initramfs.
#
# Prints a machine-readable report of what the kernel saw (memory map, CPUs,
# TPM, event log, PCRs) on the console (ttyS0) and powers off. Every report
# line starts with "MBT " so that the host can pick it out of the serial log;
# the report starts with "MBT begin" and ends with "MBT end".  Multi-line
# values are sent one line per record with a repeated key.
/bin/busybox --install -s /bin
export PATH=/bin

mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
# Keep kernel messages off the console so they cannot split report lines.
dmesg -n 1

r() { echo "MBT $*"; }

r begin
r version 1
r kernel "$(uname -r)"
r cmdline "$(cat /proc/cmdline)"

# Memory map as the kernel received it from the firmware.
dmesg | sed -n 's/^.*BIOS-e820: //p' | while read -r line; do r e820 "$line"; done
r cpus_online "$(grep -c '^processor' /proc/cpuinfo)"
r cpus_sysfs "$(cat /sys/devices/system/cpu/online)"
r memtotal_kb "$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)"

T=/sys/class/tpm/tpm0
if [ -e $T ]; then
	r tpm0 yes
	if [ -r $T/tpm_version_major ]; then
		r tpm_version "$(cat $T/tpm_version_major)"
	else
		r tpm_version unknown
	fi
	for bankdir in $T/pcr-*; do
		[ -d "$bankdir" ] || continue
		bank=${bankdir##*/pcr-}
		n=0
		while [ $n -le 23 ]; do
			if [ -r "$bankdir/$n" ]; then
				r pcr "$bank" "$n" "$(cat "$bankdir/$n")"
			fi
			n=$((n + 1))
		done
	done
	# TPM 1.2: the PCRs and the flags live under device/.
	if [ -r $T/device/pcrs ]; then
		while read -r line; do r pcrs12 "$line"; done < $T/device/pcrs
	fi
	for f in enabled active owned temp_deactivated caps; do
		if [ -r $T/device/$f ]; then
			cat $T/device/$f | while read -r line; do r "flag_$f" "$line"; done
		fi
	done
else
	r tpm0 no
fi

L=/sys/kernel/security/tpm0/binary_bios_measurements
if [ -r $L ]; then
	cp $L /tmp/log.bin 2>/dev/null
	r log yes
	r log_size "$(wc -c < /tmp/log.bin)"
	r log_sha256 "$(sha256sum /tmp/log.bin | cut -d' ' -f1)"
	base64 /tmp/log.bin | while read -r line; do r log_b64 "$line"; done
else
	r log no
fi

dmesg | grep -i tpm | while read -r line; do r dmesg_tpm "$line"; done
r end
sync
poweroff -f
