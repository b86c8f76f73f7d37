/* The zygote's executable, built in this tree, inside the daemon's own:
 * the daemon starts it from a sealed memfd (jail_spawner.c), so there is
 * nothing to install or find, and no other version to run by mistake.
 * ZYGOTE_PATH is set by meson.build. */
	.section .rodata
	.balign 16
	.globl jail_zygote_image
	.type jail_zygote_image, @object
jail_zygote_image:
	.incbin ZYGOTE_PATH
	.globl jail_zygote_image_end
jail_zygote_image_end:
	.section .note.GNU-stack, "", @progbits
