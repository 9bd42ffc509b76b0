// The REML criterion of the nested random-intercept model with the residual
// variance and the intercept profiled out, as a function of the two variance
// ratios, evaluated in closed form from per-school summaries.
// Patterson & Thompson (1971); Harville (1977); Bates, Mächler, Bolker &
// Walker (2015), J. Stat. Softw. 67(1), section 3.4 (the profiled REML
// deviance lme4 minimises).

import Foundation

/// Per-school summaries of a score in schools nested in authorities, and the profiled REML criterion they determine.
///
/// ```
/// y = μ1 + Z_a u + Z_s v + e,  u ~ N(0, θ_a σ² I), v ~ N(0, θ_s σ² I), e ~ N(0, σ² I)
/// V(θ) = I + θ_s Z_s Z_sᵀ + θ_a Z_a Z_aᵀ                      (Var y = σ² V)
/// r(θ) = min_μ (y − μ1)ᵀ V⁻¹ (y − μ1)                         (at μ̂ = 1ᵀV⁻¹y / 1ᵀV⁻¹1)
/// −2 ℓ_R(θ) = log|V| + log(1ᵀV⁻¹1) + (N − 1)(1 + log(2π r / (N − 1)))   (σ̂² = r/(N − 1))
/// ```
/// V is block diagonal by authority, each block the school blocks
/// I + θ_s 11ᵀ plus θ_a 11ᵀ, so Sherman–Morrison twice gives, with school
/// weights w_j = n_j/(1 + n_j θ_s), authority weights W_a = Σ_j w_j and
/// v_a = W_a/(1 + θ_a W_a), weighted means m_a = Σ_j w_j ȳ_j / W_a and
/// μ̂ = Σ_a v_a m_a / Σ_a v_a:
/// ```
/// log|V|   = Σ_j log(1 + n_j θ_s) + Σ_a log(1 + θ_a W_a)
/// 1ᵀV⁻¹1   = Σ_a v_a
/// r        = Σ_j Σ_i (y_ij − ȳ_j)² + Σ_a Σ_j w_j (ȳ_j − m_a)² + Σ_a v_a (m_a − μ̂)²
/// ```
/// Every term of r is a sum of squares, so it is evaluated without
/// cancellation. The school loop carries first and second derivatives in θ_s
/// by hand (dw/dθ_s = −w², d²w/dθ_s² = 2w³; the weighted mean's derivatives
/// follow from Σ_j w_j (ȳ_j − m_a) = 0); the authority level uses
/// `SecondOrderDual`. The gradient and Hessian are exact up to rounding.
///
/// This is lme4's REML deviance (`REMLcrit`): ldL2 = log|V|, ldRX2 =
/// log(1ᵀV⁻¹1), pwrss = r, with lme4's θ = (√θ_a, √θ_s).
///
/// Complexity: O(schools) per evaluation, independent of the number of respondents.
struct ProfiledREMLCriterion: Sendable {
    /// N, respondents with a score.
    let respondents: Int
    /// n_j, schools of one authority stored together.
    let schoolSizes: [Double]
    /// ȳ_j − `centre`.
    let schoolMeans: [Double]
    /// Authority a holds schools `authorityStarts[a] ..< authorityStarts[a + 1]`.
    let authorityStarts: [Int]
    /// Σ_j Σ_i (y_ij − ȳ_j)², the within-school sum of squares.
    let withinSumOfSquares: Double
    /// The respondent mean subtracted from the school means (the criterion does not depend on it).
    let centre: Double

    /// Number of authorities (blocks of V).
    var authorities: Int { authorityStarts.count - 1 }
    /// Number of schools.
    var schools: Int { schoolSizes.count }

    /// The criterion at (θ_a, θ_s) = (`authorityRatio`, `schoolRatio`) with its
    /// gradient and Hessian (x = θ_a, y = θ_s), the GLS mean μ̂ (centred) and r.
    func evaluate(authorityRatio ta: Double, schoolRatio ts: Double)
        -> (criterion: SecondOrderDual, centredMean: Double, residualSumOfSquares: Double)
    {
        let thetaA = SecondOrderDual.x(ta)
        var logDetSchools = 0.0, logDetSchools1 = 0.0, logDetSchools2 = 0.0
        var logDetAuthorities = SecondOrderDual(0)
        var withinAuthorities = SecondOrderDual(0)   // Σ_a Σ_j w_j (ȳ_j − m_a)²
        // Weighted Welford over authorities (West 1979): Σ v_a, μ̂, Σ v_a (m_a − μ̂)².
        var totalWeight = SecondOrderDual(0)
        var mean = SecondOrderDual(0)
        var betweenAuthorities = SecondOrderDual(0)

        schoolSizes.withUnsafeBufferPointer { sizes in
            schoolMeans.withUnsafeBufferPointer { means in
                for a in 0..<(authorityStarts.count - 1) {
                    let range = authorityStarts[a]..<authorityStarts[a + 1]
                    var w0 = 0.0, w1 = 0.0, w2 = 0.0, sum = 0.0
                    for j in range {
                        let n = sizes[j]
                        let w = n / (1 + n * ts)
                        let w2j = w * w
                        w0 += w
                        w1 -= w2j
                        w2 += 2 * w2j * w
                        sum += w * means[j]
                        logDetSchools += Foundation.log1p(n * ts)
                    }
                    let m = sum / w0
                    var p0 = 0.0, p1 = 0.0, p2 = 0.0, q1 = 0.0, q2 = 0.0
                    for j in range {
                        let n = sizes[j]
                        let w = n / (1 + n * ts)
                        let d = means[j] - m
                        let wd = w * d, w2d = w * wd, w3d = w * w2d
                        p0 += wd * d
                        p1 -= w2d * d
                        p2 += 2 * w3d * d
                        q1 += w2d
                        q2 += w3d
                    }
                    logDetSchools1 += w0
                    logDetSchools2 += w1
                    let m1 = -q1 / w0
                    let m2 = (2 * q2 - 2 * m1 * w1) / w0
                    let weight = SecondOrderDual.ofY(w0, w1, w2)
                    let authorityMean = SecondOrderDual.ofY(m, m1, m2)
                    withinAuthorities += SecondOrderDual.ofY(p0, p1, p2 - 2 * w0 * m1 * m1)

                    let denominator = thetaA * weight + 1
                    logDetAuthorities += denominator.log
                    let v = weight / denominator
                    let previousWeight = totalWeight
                    totalWeight += v
                    let delta = authorityMean - mean
                    let step = delta * v / totalWeight
                    mean += step
                    betweenAuthorities += previousWeight * delta * step
                }
            }
        }
        let logDetV = logDetAuthorities + SecondOrderDual.ofY(logDetSchools, logDetSchools1, logDetSchools2)
        let r = withinAuthorities + betweenAuthorities + withinSumOfSquares
        let dof = Double(respondents - 1)
        let criterion = logDetV + totalWeight.log + dof * r.log
            + dof * (1 + Foundation.log(2 * Double.pi / dof))
        return (criterion, mean.value, r.value)
    }
}
