def test_transaction_cut_short_by_shutdown_leaves_nothing(tmp_path: Path) -> None:
    # Given a transaction that has written a row, when the runtime goes down (Ctrl-C) before
    # it commits
    database = database_for(tmp_path)
    emulator = RdsDataEmulator(lambda: database, CLUSTER, SECRET)
    router = interception.Router()
    emulator.register(router)
    client = boto3.client(
        "rds-data",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",  # noqa: S106 - never sent: the emulator answers
    )
    interception.attach(client, router)
    api = DataApi(client)
    try:
        api.run("CREATE TABLE halves (body text)")
        transaction = api.begin()
        api.run("INSERT INTO halves VALUES ('half')", transactionId=transaction)
        emulator.close()
        # Then the database holds none of it
        with database.connect() as connection:
            assert connection.execute("SELECT count(*) FROM halves").fetchone() == (0,)
    finally:
        emulator.close()
        database.stop()
