using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace Backprop;

/// <summary>
/// Updates a model's parameters from their gradients. Each optimizer keeps its per-parameter state (velocities,
/// moment estimates) in tensors made on the first step, so a step allocates nothing after that.
/// </summary>
/// <remarks>
/// Regularisation is applied to the gradient before the update, as the lecture notes add it to the loss:
/// L2 weight decay adds <c>WeightDecay · w</c> (the gradient of ½λ‖w‖²) and L1 adds <c>L1 · sign(w)</c>.
/// The gradient tensors are changed in place by that.
/// </remarks>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, Tensor[]> _state = new(ReferenceEqualityComparer.Instance);
    private float _learningRate;

    /// <summary>Creates an optimizer with the given step size.</summary>
    protected Optimizer(float learningRate)
    {
        LearningRate = learningRate;
    }

    /// <summary>The step size α; a schedule may change it between epochs.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = value > 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a positive finite number.");
    }

    /// <summary>λ of the L2 penalty ½λ‖w‖² (0 for none).</summary>
    public float WeightDecay { get; set; }

    /// <summary>λ of the L1 penalty λ‖w‖₁ (0 for none).</summary>
    public float L1 { get; set; }

    /// <summary>Steps taken so far (Adam's bias correction counts them; checkpoints keep them).</summary>
    public long Steps { get; set; }

    /// <summary>Tensors of state per parameter: 0 for SGD, 1 for momentum and RMSProp, 2 for Adam (checkpoints keep them).</summary>
    public abstract int StateTensors { get; }

    /// <summary>Scratch tensors per parameter an update needs besides its state (RMSProp: 1); never saved.</summary>
    protected virtual int ScratchTensors => 0;

    /// <summary>Forgets every parameter's state and the step count: the next step starts as the first.</summary>
    public void Reset()
    {
        _state.Clear();
        Steps = 0;
    }

    /// <summary>Applies one update to every parameter from its gradient.</summary>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Steps++;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var w = parameter.Value.Span;
            var g = parameter.Gradient.Span;
            if (WeightDecay != 0f)
            {
                TensorPrimitives.MultiplyAdd(w, WeightDecay, g, g);
            }

            if (L1 != 0f)
            {
                for (var j = 0; j < w.Length; j++)
                {
                    g[j] += w[j] > 0f ? L1 : w[j] < 0f ? -L1 : 0f;
                }
            }

            Update(parameter, StateOf(parameter));
        }
    }

    /// <summary>
    /// The state tensors of <paramref name="parameter"/> (then its scratch tensors), made (zero) on first use. State
    /// belongs to the <see cref="Parameter"/> object, which a model keeps for the life of the model (a field assigned
    /// another tensor is rebound, not replaced: <see cref="Parameter.Rebind"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The parameter's tensor changed shape since this optimizer made its state.</exception>
    public Tensor[] StateOf(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!_state.TryGetValue(parameter, out var state))
        {
            state = new Tensor[StateTensors + ScratchTensors];
            for (var i = 0; i < state.Length; i++)
            {
                state[i] = Tensor.ZerosLike(parameter.Value);
            }

            _state[parameter] = state;
        }
        else if (state.Length > 0 && !state[0].HasShapeOf(parameter.Value))
        {
            throw new InvalidOperationException(
                $"{GetType().Name}: parameter '{parameter.Name}' is now {parameter.Value.Shape} but its optimizer state was made for {state[0].Shape}; the field was assigned a tensor of another shape. Call Reset() on the optimizer (or create a new one) to start its state afresh.");
        }

        return state;
    }

    /// <summary>Updates one parameter; <paramref name="state"/> holds <see cref="StateTensors"/> state tensors, then <see cref="ScratchTensors"/> scratch tensors.</summary>
    protected abstract void Update(Parameter parameter, Tensor[] state);
}
