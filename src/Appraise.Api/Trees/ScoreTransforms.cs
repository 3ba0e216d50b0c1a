namespace Appraise.Api.Trees;

/// <summary>
/// ONNX Runtime's post transforms (onnxruntime/core/providers/cpu/ml/ml_common.h), in float as
/// there: the scores are converted to float first. The probit is Winitzki's approximation of the
/// inverse error function that ONNX Runtime uses, not the exact one.
/// </summary>
internal static class ScoreTransforms
{
    public static float Logistic(float value)
    {
        var v = 1 / (1 + MathF.Exp(-MathF.Abs(value)));
        return value < 0 ? 1 - v : v;
    }

    public static float Probit(float value) => MathF.Sqrt(2) * InverseErf((2 * value) - 1);

    private static float InverseErf(float x)
    {
        var sign = x < 0 ? -1.0f : 1.0f;
        x = (1 - x) * (1 + x);
        var log = MathF.Log(x);
        var v = (2 / (MathF.PI * 0.147f)) + (0.5f * log);
        var v2 = 1 / 0.147f * log;
        var v3 = -v + MathF.Sqrt((v * v) - v2);
        return sign * MathF.Sqrt(v3);
    }

    public static void Softmax(Span<float> values)
    {
        var max = -float.MaxValue;
        foreach (var v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>Softmax that leaves (near) zero scores out of the sum, as ONNX Runtime's SOFTMAX_ZERO does.</summary>
    public static void SoftmaxZero(Span<float> values)
    {
        var max = -float.MaxValue;
        foreach (var v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }
        var expNegMax = MathF.Exp(-max);
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > 0.0000001f || values[i] < -0.0000001f)
            {
                values[i] = MathF.Exp(values[i] - max);
                sum += values[i];
            }
            else
            {
                values[i] *= expNegMax;
            }
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>Two or more scores (already float), transformed in place.</summary>
    public static void Apply(PostTransform transform, Span<float> scores)
    {
        switch (transform)
        {
            case PostTransform.Probit:
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] = Probit(scores[i]);
                }
                break;
            case PostTransform.Logistic:
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] = Logistic(scores[i]);
                }
                break;
            case PostTransform.Softmax:
                Softmax(scores);
                break;
            case PostTransform.SoftmaxZero:
                SoftmaxZero(scores);
                break;
            case PostTransform.None:
            default:
                break;
        }
    }
}
