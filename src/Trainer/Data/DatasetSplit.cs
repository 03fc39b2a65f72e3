namespace Mic.Trainer.Data;

public enum DatasetSplit
{
    Train,
    Valid,
}
