// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace t2i {

// The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1].
// Own implementation (Lentz's continued fraction, prefactor from std::lgamma) so core/ needs
// no numerics library; accurate to a few 1e-13 absolute, and it converges in O(sqrt(max(a, b)))
// iterations, which keeps the exact bootstrap interval cheap at n = 1,000,000.
double regularizedIncompleteBeta(double a, double b, double x);

// P(X >= k) for X ~ Binomial(n, q): the identity P(X >= k) = I_q(k, n - k + 1) (k >= 1).
// k == 0 gives 1 and k > n gives 0.
double binomialTailAtLeast(std::size_t n, std::size_t k, double q);

} // namespace t2i
