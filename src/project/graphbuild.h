/* src/project/graphbuild.h - building the selection graph from a linked project
 * (project layer). The graph borrows the project's strings and edge lists; free it
 * before the project. */
#ifndef GL_GRAPHBUILD_H
#define GL_GRAPHBUILD_H
#include "project/graph.h"
#include "project/project.h"

void gl_graph_build(const gl_project *p, gl_graph *g);
void gl_graph_free(gl_graph *g);
#endif
