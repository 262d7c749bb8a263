// The TPM device for platforms whose ACPI tables declare none; added by
// fw/acpi_tpm.c next to the TPM2/TCPA table it builds. Compiled twice by
// the Makefile: plain for TPM 2.0, with -D TPM12 for TPM 1.2, because the
// two _HIDs differ in AML size and cannot be patched in place.
DefinitionBlock ("", "SSDT", 2, "MBIOS ", "TPMSSDT ", 1)
{
    Scope (\_SB)
    {
        Device (TPM)
        {
            // TCG ACPI Specification 1.3, "ACPI Device" for each family;
            // ACPI 6.5 6.1.5 "_HID (Hardware ID)".
#ifdef TPM12
            Name (_HID, EisaId ("PNP0C31"))
#else
            Name (_HID, "MSFT0101")
#endif
            // The TPM's register window: 5 localities of 4 KiB (TCG PC
            // Client PTP 5.2); ACPI 6.5 6.2.2 "_CRS (Current Resource
            // Settings)".
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0xFED40000, 0x00005000)
            })
            // Present, enabled, shown, functioning (ACPI 6.5 6.3.7 "_STA").
            Method (_STA, 0, NotSerialized)
            {
                Return (0x0F)
            }
        }
    }
}
