using System;

namespace Backprop;

/// <summary>
/// A trainable tensor of a model and its gradient (same shape). Models get their list from the generator: a
/// partial class with <c>Tensor</c> fields and a <see cref="DifferentiableAttribute"/> method has a generated
/// <c>Parameters</c> property, so optimizers and checkpoints never list parameters by hand.
/// </summary>
public sealed class Parameter
{
    /// <summary>Pairs <paramref name="value"/> with a zero gradient of its shape.</summary>
    /// <param name="name">The field's name, used in checkpoints and messages.</param>
    /// <param name="value">The tensor trained in place.</param>
    public Parameter(string name, Tensor? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Value = value ?? throw NullField(name);
        Gradient = Tensor.ZerosLike(value);
    }

    /// <summary>The field's name, with the fields of the models that hold it as a sub-module in front (<c>Input.W</c>).</summary>
    public string Name { get; private set; }

    /// <summary>The trainable tensor.</summary>
    public Tensor Value { get; private set; }

    /// <summary>∂loss/∂<see cref="Value"/>, filled by the generated <c>…Gradient</c> (overwrite) and <c>…Backward</c> (add) methods.</summary>
    public Tensor Gradient { get; private set; }

    /// <summary>
    /// Points this parameter at the tensor its field now holds (the generated <c>Parameters</c> calls this when a field
    /// was assigned another tensor). The parameter stays the same object, so an optimizer's state for it (Adam's
    /// moments) carries on, as PyTorch keeps an optimizer's state when a parameter's data is replaced; the gradient is
    /// kept when the shape is unchanged and made anew (zero) otherwise, and an optimizer then reports the shape change.
    /// </summary>
    public void Rebind(Tensor? value)
    {
        Value = value ?? throw NullField(Name);
        if (!Gradient.HasShapeOf(value))
        {
            Gradient = Tensor.ZerosLike(value);
        }
    }

    /// <summary>
    /// Names this parameter inside <paramref name="owner"/>, which holds its model in the field <paramref name="field"/>
    /// (W of a sub-module in field Input becomes Input.W). The generated <c>Parameters</c> of a model with sub-modules
    /// calls this for theirs; once per owner, however often the list is rebuilt. Returns this parameter.
    /// </summary>
    public Parameter Within(object owner, string field)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(field);
        if (!_owners.Exists(o => ReferenceEquals(o, owner)))
        {
            _owners.Add(owner);
            Name = field + "." + Name;
        }

        return this;
    }

    private readonly System.Collections.Generic.List<object> _owners = [];

    /// <summary>
    /// Keeps <paramref name="parameters"/> one per element of a <c>Tensor[]</c> field <paramref name="field"/> (named
    /// <c>W[0]</c>, <c>W[1]</c>, …): an element assigned another tensor is rebound, and when the array's length changed the
    /// list is made again, keeping the parameters of the elements still there. Returns true when the list was made again.
    /// The generated <c>Parameters</c> of a model with <c>Tensor[]</c> fields calls this on every read.
    /// </summary>
    public static bool TrackArray(ref Parameter[] parameters, Tensor[]? array, string field)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(field);
        if (array is null)
        {
            throw NullField(field);
        }

        var changed = parameters.Length != array.Length;
        if (changed)
        {
            var kept = parameters;
            parameters = new Parameter[array.Length];
            Array.Copy(kept, parameters, Math.Min(kept.Length, array.Length));
        }

        for (var i = 0; i < array.Length; i++)
        {
            if (parameters[i] is null)
            {
                parameters[i] = new Parameter($"{field}[{i}]", array[i]);
            }
            else if (!ReferenceEquals(parameters[i].Value, array[i]))
            {
                parameters[i].Rebind(array[i] ?? throw NullField($"{field}[{i}]"));
            }
        }

        return changed;
    }

    /// <summary>
    /// Keeps <paramref name="lists"/> one per element of an array field <paramref name="field"/> of sub-modules (each
    /// element's own generated <c>Parameters</c>, read with <paramref name="parametersOf"/>). Returns true when the array's
    /// length changed or an element's list is another one, so that the model's list must be made again.
    /// </summary>
    public static bool TrackModules<T>(ref System.Collections.Generic.IReadOnlyList<Parameter>?[] lists, T[]? modules, Func<T, System.Collections.Generic.IReadOnlyList<Parameter>> parametersOf, string field)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(parametersOf);
        ArgumentNullException.ThrowIfNull(field);
        if (modules is null)
        {
            throw NullField(field);
        }

        var changed = lists.Length != modules.Length;
        if (changed)
        {
            lists = new System.Collections.Generic.IReadOnlyList<Parameter>?[modules.Length];
        }

        for (var i = 0; i < modules.Length; i++)
        {
            var list = parametersOf(modules[i] ?? throw NullField($"{field}[{i}]"));
            if (!ReferenceEquals(lists[i], list))
            {
                lists[i] = list;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Adds the parameters of every sub-module in <paramref name="lists"/> to <paramref name="all"/>, named <c>field[i].Name</c> inside <paramref name="owner"/>.</summary>
    public static void AddModules(System.Collections.Generic.List<Parameter> all, System.Collections.Generic.IReadOnlyList<Parameter>?[] lists, object owner, string field)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(lists);
        for (var i = 0; i < lists.Length; i++)
        {
            foreach (var parameter in lists[i] ?? [])
            {
                all.Add(parameter.Within(owner, $"{field}[{i}]"));
            }
        }
    }

    /// <summary>
    /// The gradients of <paramref name="parameters"/> in <paramref name="cache"/> (made again only when their number
    /// changed): the generated <c>d</c>+field property of a <c>Tensor[]</c> field, which the generated pullbacks add into.
    /// </summary>
    public static Tensor[] GradientsOf(Parameter[] parameters, ref Tensor[]? cache)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (cache is null || cache.Length != parameters.Length)
        {
            cache = new Tensor[parameters.Length];
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            cache[i] = parameters[i].Gradient;
        }

        return cache;
    }

    private static InvalidOperationException NullField(string name) =>
        new($"The model field '{name}' is null: create its tensor (e.g. with Init.He) before training or reading Parameters.");

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Value.Shape}";
}
