"""Published reference values of the bimodality and polarization statistics (notebook 04).

Sources
-------
Hartigan, J. A. & Hartigan, P. M. (1985). The dip test of unimodality. *Annals of Statistics* 13(1), 70-84,
section 2: the dip of any distribution is at most 1/4, reached by two equal point masses; the dip of an
empirical distribution of n values is at least 1/(2n) (R's ``diptest::dip`` reports that floor with
``min.is.0 = FALSE``, its default).
SAS Institute, *SAS/STAT User's Guide*, The CLUSTER procedure, and Pfister, R., Schwarz, K. A., Janczyk, M.,
Dale, R. & Freeman, J. B. (2013). Good things peak in pairs: a note on the bimodality coefficient.
*Frontiers in Psychology* 4:700 (doi:10.3389/fpsyg.2013.00700): the bimodality coefficient of the uniform
distribution, 5/9, is the benchmark above which a sample is read as bimodal; a normal distribution has 1/3.
Robertson, C. A. & Fryer, J. G. (1969). Some descriptive properties of normal mixtures. *Skandinavisk
Aktuarietidskrift* 52, 137-146 (also Schilling, Watkins & Watkins 2002, *The American Statistician* 56(3),
223-229): an equal mixture of two normals with common standard deviation sigma is bimodal exactly when
its means are more than 2 sigma apart.
Kass, R. E. & Raftery, A. E. (1995). Bayes factors. *JASA* 90(430), 773-795, section 3.2: on the scale of
twice the log Bayes factor (which a BIC difference approximates), 0-2 "not worth more than a bare
mention", 2-6 "positive", 6-10 "strong", above 10 "very strong".
McLachlan, G. J. (1987). On bootstrapping the likelihood ratio test statistic for the number of components in a
normal mixture. *Applied Statistics* 36(3), 318-324: the p-value of the bootstrap test with B replications is
the rank of the observed statistic among the B + 1, p = (1 + #{LR* >= LR}) / (B + 1).
Johnson, N. L., Kotz, S. & Balakrishnan, N. (1994). *Continuous Univariate Distributions*, vol. 1, 2nd ed.,
chapter 14: the skewness of a log-normal distribution with log-SD sigma is (exp(sigma^2) + 2) sqrt(exp(sigma^2) - 1).
"""

#: Hartigan & Hartigan (1985): the largest possible dip (two equal point masses).
DIP_MAX = 0.25


def dip_floor(n: int) -> float:
    """Hartigan & Hartigan (1985): the smallest dip of an empirical distribution of n values."""
    return 1 / (2 * n)


#: SAS/STAT and Pfister et al. (2013): the bimodality coefficient of the uniform distribution.
BC_UNIFORM = 5 / 9
#: ... and of the normal distribution (skewness 0, excess kurtosis 0).
BC_NORMAL = 1 / 3

#: Robertson & Fryer (1969): separation of the means (in common SDs) above which an equal normal mixture is bimodal.
MIXTURE_BIMODAL_SEPARATION = 2.0

#: Kass & Raftery (1995), section 3.2: grade boundaries of 2 ln(Bayes factor) and the grade names, in order.
KASS_RAFTERY_BOUNDS = (2.0, 6.0, 10.0)
KASS_RAFTERY_GRADES = ("not worth more than a bare mention", "positive", "strong", "very strong")


def bootstrap_p_value(n_exceed: int, n_boot: int) -> float:
    """McLachlan (1987): the bootstrap likelihood-ratio test's p-value from the count of LR* >= LR."""
    return (1 + n_exceed) / (n_boot + 1)


def lognormal_skewness(sigma: float) -> float:
    """Johnson, Kotz & Balakrishnan (1994), ch. 14: skewness of the log-normal distribution with log-SD sigma."""
    import math

    e = math.exp(sigma ** 2)
    return (e + 2) * math.sqrt(e - 1)
