/* SPDX-License-Identifier: ISC */
/* GLPK model: one free column per monomial, one row per input pattern, zero objective. */
#include "cap_lp.h"

#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>

struct cap_lp {
	unsigned n, degree, dim, rows;
	glp_prob *p;
	glp_smcp parm;
	unsigned long exact;
	int phi[32][16];
};

void
cap_lp_features(unsigned n, unsigned degree, unsigned k, int *phi)
{
	int s[CAP_MAX_N];
	for (unsigned i = 0; i < n; ++i)
		s[i] = ((k >> i) & 1u) ? 1 : -1;
	unsigned m = 0;
	phi[m++] = 1;
	for (unsigned i = 0; i < n; ++i)
		phi[m++] = s[i];
	if (degree >= 2)
		for (unsigned i = 0; i < n; ++i)
			for (unsigned j = i + 1; j < n; ++j)
				phi[m++] = s[i] * s[j];
}

cap_lp *
cap_lp_new(unsigned n, unsigned degree)
{
	cap_lp *lp = calloc(1, sizeof *lp);
	if (!lp)
		return NULL;
	lp->n = n;
	lp->degree = degree;
	lp->dim = 1 + n + (degree >= 2 ? n * (n - 1) / 2 : 0);
	lp->rows = 1u << n;
	lp->p = glp_create_prob();
	glp_add_cols(lp->p, (int)lp->dim);
	glp_add_rows(lp->p, (int)lp->rows);
	for (unsigned c = 1; c <= lp->dim; ++c)
		glp_set_col_bnds(lp->p, (int)c, GLP_FR, 0.0, 0.0);
	/* The matrix never changes; only the row bounds follow f. */
	int ind[17];
	double val[17];
	for (unsigned k = 0; k < lp->rows; ++k) {
		cap_lp_features(n, degree, k, lp->phi[k]);
		for (unsigned c = 0; c < lp->dim; ++c) {
			ind[c + 1] = (int)c + 1;
			val[c + 1] = lp->phi[k][c];
		}
		glp_set_mat_row(lp->p, (int)k + 1, (int)lp->dim, ind, val);
	}
	glp_init_smcp(&lp->parm);
	lp->parm.msg_lev = GLP_MSG_OFF;
	lp->parm.presolve = GLP_OFF;
	return lp;
}

void
cap_lp_free(cap_lp *lp)
{
	if (!lp)
		return;
	glp_delete_prob(lp->p);
	free(lp);
}

unsigned
cap_lp_dim(const cap_lp *lp)
{
	return lp->dim;
}

unsigned long
cap_lp_exact_calls(const cap_lp *lp)
{
	return lp->exact;
}

static bool
certified(const cap_lp *lp, cap_tt f, double *theta)
{
	for (unsigned c = 0; c < lp->dim; ++c)
		theta[c] = glp_get_col_prim(lp->p, (int)c + 1);
	for (unsigned k = 0; k < lp->rows; ++k) {
		double s = 0.0;
		for (unsigned c = 0; c < lp->dim; ++c)
			s += theta[c] * lp->phi[k][c];
		if (((f >> k) & 1u) ? s < 0.5 : s > -0.5)
			return false;
	}
	return true;
}

bool
cap_lp_realisable(cap_lp *lp, cap_tt f, double *theta)
{
	for (unsigned k = 0; k < lp->rows; ++k) {
		if ((f >> k) & 1u)
			glp_set_row_bnds(lp->p, (int)k + 1, GLP_LO, 1.0, 0.0);
		else
			glp_set_row_bnds(lp->p, (int)k + 1, GLP_UP, 0.0, -1.0);
	}
	double local[16];
	double *th = theta ? theta : local;
	glp_std_basis(lp->p);
	if (glp_simplex(lp->p, &lp->parm) == 0 && glp_get_status(lp->p) == GLP_OPT &&
	    certified(lp, f, th))
		return true;
	/* Not certified by the floating solver: decide in exact rational arithmetic. The data
	 * (entries +-1, bounds +-1) are exact in double, so glp_exact solves this very system;
	 * it starts from the floating solver's final basis, so it mostly just verifies it. */
	++lp->exact;
	if (glp_exact(lp->p, &lp->parm) != 0) {
		/* The floating basis was unusable: start the exact solver from scratch. A failure
		 * there is a solver error, never an answer, so it stops the program. */
		glp_std_basis(lp->p);
		if (glp_exact(lp->p, &lp->parm) != 0) {
			fprintf(stderr, "cap_lp: exact simplex failed on table 0x%08lx\n",
			        (unsigned long)f);
			abort();
		}
	}
	if (glp_get_status(lp->p) != GLP_OPT)
		return false;
	for (unsigned c = 0; c < lp->dim; ++c)
		th[c] = glp_get_col_prim(lp->p, (int)c + 1);
	return true;
}
