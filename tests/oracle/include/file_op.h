/* Stand-in for Wazuh's file_op.h, enough for os_xml to compile on its own (test-only). */
#define wfopen fopen
#define w_file_cloexec(fp) ((void)(fp))
