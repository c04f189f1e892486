// Import keeps records' identity (issue 10): a person whose full name and date of birth both
// differ from the stored one under the same id, or a device whose serial differs, is refused
// and nothing is saved; a correction of one of them is an update.
#include "store/identity.h"
#include "store_fixture.h"
#include "store_test_data.h"

namespace kyso::store_test {

TEST(StoreIdentity, NamesCompareWithoutCaseAndSpacingButWithToneMarks) {
    EXPECT_TRUE(store::same_name("Nguyễn Văn An", "NGUYỄN  VĂN AN "));
    EXPECT_TRUE(store::same_name("nguyễn văn an", "Nguyễn Văn An"));
    EXPECT_FALSE(store::same_name("Nguyễn Thị Hương", "Nguyễn Thị Hường"));
}

TEST(StoreIdentity, ADifferentPersonIsOneWhoseNameAndBirthBothDiffer) {
    const Person stored{"p1", "Nguyễn Văn An", "040088012345", "1988-04-02", "", "", "", "", "",
                        ""};
    Person p = stored;
    p.full_name = "Trần Thị Bình";
    EXPECT_FALSE(store::different_person(stored, p)) << "a corrected name";
    p = stored;
    p.date_of_birth = "1988-02-04";
    EXPECT_FALSE(store::different_person(stored, p)) << "a corrected date of birth";
    p.full_name = "Trần Thị Bình";
    EXPECT_TRUE(store::different_person(stored, p));
    p.date_of_birth.clear();
    EXPECT_FALSE(store::different_person(stored, p)) << "an empty value is no difference";
    p = stored;
    p.full_name = "NGUYỄN VĂN  AN";
    p.date_of_birth = "1988-02-04";
    EXPECT_FALSE(store::different_person(stored, p)) << "same name in capitals";
}

TEST(StoreIdentity, DeviceSerialsCompareWithoutSeparatorsOrCase) {
    EXPECT_EQ(store::device_serial_key(" tk-1000:0001 "), "TK10000001");
    const Device stored{"d1", DeviceKind::usb_token, "TK-0001", "", "", {HolderType::person, "p1"}};
    Device d = stored;
    d.serial = "tk 0001";
    EXPECT_FALSE(store::different_device(stored, d));
    d.serial = "TK-0002";
    EXPECT_TRUE(store::different_device(stored, d));
    d.serial.clear();
    EXPECT_FALSE(store::different_device(stored, d));
}

class StoreIdentityRules : public StoreTest {};
KYSO_STORE_BACKENDS(StoreIdentityRules);

TEST_P(StoreIdentityRules, PersonWithBothNameAndBirthChangedIsRefusedAndNothingSaved) {
    import(sample_registry());
    Registry next = sample_registry();
    next.people[0].full_name = "Phạm Thị Dung";
    next.people[0].date_of_birth = "1970-01-01";
    next.people.push_back(
        Person{"p9", "Đỗ Văn Mới", "040090012349", "1990-05-05", "", "", "STC", "", "", ""});
    next.devices[1].serial = "8984040000000000001";  // unchanged
    auto r = store_->import_registry(next, {}, "tester", "test");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.person_conflict");
    EXPECT_EQ(r.error().where.id, "p1");
    EXPECT_NE(r.error().message_en.find("Phạm Thị Dung"), std::string::npos);
    EXPECT_NE(r.error().message_en.find("Nguyễn Văn An"), std::string::npos);
    const Registry after = load();
    ASSERT_NE(after.person("p1"), nullptr);
    EXPECT_EQ(after.person("p1")->full_name, "Nguyễn Văn An");
    EXPECT_EQ(after.person("p9"), nullptr) << "the whole import is refused";
}

TEST_P(StoreIdentityRules, NameOrBirthAloneIsACorrection) {
    import(sample_registry());
    Registry next = sample_registry();
    next.people[0].full_name = "Nguyễn Văn Ân";
    next.people[2].date_of_birth = "1985-09-10";
    const auto stats = import(next);
    EXPECT_EQ(stats.people.updated, 2u);
    EXPECT_EQ(load().person("p1")->full_name, "Nguyễn Văn Ân");
}

TEST_P(StoreIdentityRules, DeviceWithAnotherSerialIsRefused) {
    import(sample_registry());
    Registry next = sample_registry();
    next.devices[0].serial = "TK-0002";
    auto r = store_->import_registry(next, {}, "tester", "test");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.device_conflict");
    EXPECT_EQ(r.error().where.id, "d1");
    EXPECT_EQ(load().device("d1")->serial, "TK-0001");

    next.devices[0].serial = "tk0001";  // the same serial, written otherwise
    next.devices[0].carrier = "";
    EXPECT_EQ(import(next).devices.updated, 1u);
}

}  // namespace kyso::store_test
