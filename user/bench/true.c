/* /bench/true: exits 0 at once (the spawn benchmark's child, like Linux's static /bin/true). */
int main(void)
{
	return 0;
}
