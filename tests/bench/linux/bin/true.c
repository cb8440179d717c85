/* /bin/true of the Linux peer guest: a static glibc program that exits 0
 * (the child of the posix_spawn benchmark). */
int main(void)
{
	return 0;
}
