namespace RetentionPlatform.Recommendations.Model;

/// <summary>
/// The highest-scoring items of a set, best first, kept up to date as scores grow. Scores only ever grow
/// (they are stored scaled by the decay clock), so an item that falls out can only come back by growing,
/// which is exactly when it is offered again: the list stays exact without ever rescanning the set.
/// </summary>
internal sealed class TopList(int capacity)
{
    private readonly int[] _items = new int[capacity];
    private readonly double[] _scores = new double[capacity];
    private int _count;

    public ReadOnlySpan<int> Items => _items.AsSpan(0, _count);

    public void Offer(int item, double score)
    {
        var position = Array.IndexOf(_items, item, 0, _count);
        if (position < 0)
        {
            if (_count < _items.Length)
            {
                position = _count++;
            }
            else if (score > _scores[_count - 1])
            {
                position = _count - 1;
            }
            else
            {
                return;
            }
        }

        _items[position] = item;
        _scores[position] = score;
        while (position > 0 && _scores[position - 1] < score)
        {
            (_items[position - 1], _items[position]) = (_items[position], _items[position - 1]);
            (_scores[position - 1], _scores[position]) = (_scores[position], _scores[position - 1]);
            position--;
        }
    }

    public void Remove(int item)
    {
        var position = Array.IndexOf(_items, item, 0, _count);
        if (position < 0)
        {
            return;
        }

        Array.Copy(_items, position + 1, _items, position, _count - position - 1);
        Array.Copy(_scores, position + 1, _scores, position, _count - position - 1);
        _count--;
    }

    /// <summary>Multiplies every score by the same factor (the decay clock moved its origin): the order stays.</summary>
    public void Rescale(double factor)
    {
        for (var i = 0; i < _count; i++)
        {
            _scores[i] *= factor;
        }
    }
}
