/* src/cli/cli.h - the gluec commands (cli layer); main.c only dispatches to these.
 * Each returns the process exit status: 0 success, 1 errors in the input, 2 usage. */
#ifndef GL_CLI_H
#define GL_CLI_H
int gl_cmd_render(int argc, char **argv);
int gl_cmd_compile(int argc, char **argv);
int gl_cmd_parse(int argc, char **argv);
int gl_cmd_ls(int argc, char **argv);
int gl_cmd_graph(int argc, char **argv);
#endif
